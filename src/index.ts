export type {
  Book,
  BookConfig,
  BookItem,
  Chapter,
  PreprocessorContext,
  PreprocessorInput
} from './protocol.js'
export {allChapters, parseInput, serializeBook} from './protocol.js'
export type {Options} from './config.js'
export {remarkMdbook} from './flavour.js'
