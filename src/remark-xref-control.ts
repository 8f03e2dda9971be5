export type {ControlOptions as Options} from './plugins/remark-xref-control.js'
export {remarkXrefControl as default} from './plugins/remark-xref-control.js'
