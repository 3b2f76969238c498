// Moved to ../prepare/ (compress/ needs it, and compress/ sits below run/); kept for sweep/.
export { resolveBaseModel } from "../prepare/resolve-base-model";
