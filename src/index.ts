export type {ConfigResult, Options, ResolvedOptions} from './config.js'
export {defaults, readConfig} from './config.js'
export type {Point, RuleId, RuleLevels, Severity} from './diagnostics.js'
export {rules} from './diagnostics.js'
export {parseMarkdown, remarkMdbook} from './flavour.js'
export type {
  CrossReferenceProblem,
  IndexJson,
  IndexOptions,
  NearDuplicateGroup
} from './index-page.js'
export {
  buildIndexJson,
  buildIndexPage,
  checkCrossReferences,
  findNearDuplicates
} from './index-page.js'
export type {Expanded, IncludeOptions, SourceMap, SourceSpan} from './includes.js'
export {expandIncludes, expandText} from './includes.js'
export type {LintOptions, LintResult} from './lint.js'
export {lintBook} from './lint.js'
export type {
  Edit,
  FoundMarker,
  IdState,
  IndexEntry,
  MarkerKind,
  MarkerOptions,
  MarkerProblem
} from './markers.js'
export {
  applyEdits,
  createIdState,
  findMarkers,
  remarkXrefMarkers,
  rewriteMarkers
} from './markers.js'
export type {ChapterInput, Locate, PassResult, Place} from './process.js'
export {processBook} from './process.js'
export type {
  Book,
  BookConfig,
  BookItem,
  Chapter,
  PreprocessorContext,
  PreprocessorInput
} from './protocol.js'
export {allChapters, parseInput, serializeBook} from './protocol.js'
export {preprocessBook} from './preprocess.js'
export type {Definition, RefOptions, RefProblem} from './refs.js'
export {
  checkDefinitions,
  findReferenceProblems,
  normalizeLabel,
  parseDefinitions,
  remarkXrefRefs
} from './refs.js'
export {formatGithub, formatHuman, formatJson} from './report.js'
export type {TermLevel} from './terms.js'
export {parseTerm} from './terms.js'
