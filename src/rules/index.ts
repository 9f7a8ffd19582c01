import type { Rule } from '../core/rule';
import nPlusOneQuery from './n-plus-one-query';
import blockingCallInAsync from './blocking-call-in-async';
import sequentialAwaits from './sequential-awaits';
import offsetPagination from './offset-pagination';

/** Every rule, registered here; the registry test checks that each file in this folder is listed. */
export const allRules: Rule[] = [nPlusOneQuery, blockingCallInAsync, sequentialAwaits, offsetPagination];
