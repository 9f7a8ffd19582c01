export { analyze, summarize, ready, languageForFile, SUPPORTED_EXTENSIONS } from './analyze';
export type { AnalyzeInput, AnalyzeResult } from './analyze';
export { analyzeProject, buildIndex, SummaryIndex } from './project-index';
export type { SourceFile } from './project-index';
export * from './config';
export * from './finding';
export type * from './model';
export type { Rule, RuleDocs } from './rule';
export { allRules } from '../rules';
