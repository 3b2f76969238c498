// Kept so code outside this package's layers (zoo/, config/, sweep/, owned elsewhere) keeps
// compiling while it moves to ../types (the ground floor). Nothing inside train/ or below imports it.
export * from "../types";
