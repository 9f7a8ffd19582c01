// esbuild bundles imported stylesheets into plan-view.css beside the script.
declare module '*.css';
