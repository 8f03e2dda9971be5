export {remarkPreset as default} from './plugins/remark-preset.js'
