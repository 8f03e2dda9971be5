export {remarkMdbook as default} from './plugins/remark-mdbook.js'
