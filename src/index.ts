export type {ConfigResult, Options, ResolvedOptions} from './mdbook/config.js'
export {defaults, readConfig} from './mdbook/config.js'
export type {Point, RuleId, RuleLevels, Severity} from './diagnostics/rules.js'
export {rules} from './diagnostics/rules.js'
export {parseMarkdown, remarkMdbook} from './markdown/flavour.js'
export type {CrossReferenceProblem} from './index/model.js'
export type {IndexJson} from './index/json.js'
export type {IndexOptions} from './index/options.js'
export type {NearDuplicateGroup} from './index/near-duplicates.js'
export {checkCrossReferences} from './index/compile.js'
export {buildIndexJson} from './index/json.js'
export {buildIndexPage} from './index/page.js'
export {findNearDuplicates} from './index/near-duplicates.js'
export type {Expanded, IncludeOptions, SourceMap, SourceSpan} from './mdbook/includes.js'
export {expandIncludes, expandText} from './mdbook/includes.js'
export type {LintOptions, LintResult} from './cli/lint.js'
export {lintBook} from './cli/lint.js'
export type {
  Edit,
  FoundMarker,
  IdState,
  IndexEntry,
  MarkerKind,
  MarkerOptions,
  MarkerProblem
} from './markdown/markers.js'
export {
  applyEdits,
  createIdState,
  findMarkers,
  remarkXrefMarkers,
  rewriteMarkers
} from './markdown/markers.js'
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
export {preprocessBook} from './cli/preprocess.js'
export type {Definition, RefOptions, RefProblem} from './markdown/references.js'
export {
  checkDefinitions,
  findReferenceProblems,
  normalizeLabel,
  parseDefinitions,
  remarkXrefRefs
} from './markdown/references.js'
export {formatGithub, formatHuman, formatJson} from './cli/report.js'
export type {TermLevel} from './markdown/terms.js'
export {parseTerm} from './markdown/terms.js'
