export type {RefOptions, RefOptions as Options} from './markdown/labels.js'
export {remarkXrefRefs as default} from './plugins/remark-xref-refs.js'
