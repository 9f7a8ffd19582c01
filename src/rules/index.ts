import type { Rule } from '../core/rule';

/** Every rule, registered here; the registry test checks that each file in this folder is listed. */
export const allRules: Rule[] = [];
