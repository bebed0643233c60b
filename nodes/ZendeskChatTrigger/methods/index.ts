import { getDepartments } from './getDepartments';

/** loadOptions of the trigger's parameters (one function per file beside this one). */
export const loadOptions = { getDepartments };
