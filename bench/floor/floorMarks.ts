/** The floor page's mark: the first edit the grid took (what the app's kanso:edit-stored is divided by, B2). */
export const FLOOR_EDIT_MARK = 'floor:edit-applied'
