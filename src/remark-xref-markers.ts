export type {FoundMarker, IndexEntry, MarkerKind, MarkerOptions, MarkerOptions as Options} from './markdown/markers.js'
export type {XrefAnchor, XrefAnchorData, XrefMarkersData} from './plugins/remark-xref-markers.js'
export {remarkXrefMarkers as default} from './plugins/remark-xref-markers.js'
