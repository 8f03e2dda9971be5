export type {ConfigResult, Options, ResolvedOptions} from './mdbook/config.js'
export {defaults, readConfig} from './mdbook/config.js'
export type {Point, RuleId, RuleLevels, Severity} from './diagnostics/rules.js'
export {rules} from './diagnostics/rules.js'
export {parseMarkdown} from './markdown/flavour.js'
export {remarkMdbook} from './plugins/remark-mdbook.js'
export type {
  CrossReferenceProblem,
  IndexJson,
  IndexOptions,
  NearDuplicateGroup
} from './index/page.js'
export {
  buildIndexJson,
  buildIndexPage,
  checkCrossReferences,
  findNearDuplicates
} from './index/page.js'
export type {Expanded, IncludeOptions} from './mdbook/includes.js'
export type {SourceMap, SourceSpan} from './mdbook/source-map.js'
export {expandIncludes, expandText} from './mdbook/includes.js'
export type {LintOptions, LintResult} from './book/lint.js'
export {lintBook} from './book/lint.js'
export type {FoundMarker, IndexEntry, MarkerKind, MarkerOptions, MarkerProblem} from './markdown/markers.js'
export {findMarkers} from './markdown/markers.js'
export type {Edit, IdState} from './markdown/marker-rewrite.js'
export {applyEdits, createIdState, rewriteMarkers} from './markdown/marker-rewrite.js'
export {remarkXrefMarkers} from './plugins/remark-xref-markers.js'
export type {ChapterInput, Locate, PassResult, Place} from './book/pass.js'
export {processBook} from './book/pass.js'
export type {
  Book,
  BookConfig,
  BookItem,
  Chapter,
  PreprocessorContext,
  PreprocessorInput
} from './mdbook/protocol.js'
export {allChapters, parseInput, serializeBook} from './mdbook/protocol.js'
export {preprocessBook} from './book/preprocess.js'
export type {Definition} from './markdown/definitions.js'
export type {RefOptions} from './markdown/labels.js'
export type {RefProblem} from './markdown/reference-scan.js'
export {checkDefinitions} from './markdown/definition-checks.js'
export {findReferenceProblems} from './markdown/reference-scan.js'
export {normalizeLabel} from './markdown/labels.js'
export {parseDefinitions} from './markdown/definitions.js'
export {remarkXrefRefs} from './plugins/remark-xref-refs.js'
export {formatGithub, formatHuman, formatJson} from './cli/report.js'
export type {TermLevel} from './markdown/terms.js'
export {parseTerm} from './markdown/terms.js'
