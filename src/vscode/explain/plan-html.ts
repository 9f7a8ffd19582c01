import type { PlanViewData } from './plan-view-data';

/**
 * The plan webview's page. Nothing remote: the script and styles come from the extension's
 * dist/webview/ through the webview's own origin (`cspSource`); the one script and every style
 * element carry a fresh nonce, and the Content-Security-Policy allows nothing else (no inline
 * script, no eval — Vue runs without its template compiler). The data travels as JSON in a
 * non-executed script element, with `<` escaped so the text cannot close the element.
 */
export interface PlanPageResources {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function planPageHtml(data: PlanViewData, r: PlanPageResources): string {
  const csp = [
    "default-src 'none'",
    // Bootstrap draws a few icons as data: SVG backgrounds.
    `img-src ${r.cspSource} data:`,
    `font-src ${r.cspSource}`,
    `style-src ${r.cspSource} 'nonce-${r.nonce}'`,
    `script-src 'nonce-${r.nonce}'`,
  ].join('; ');
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(r.styleUri)}" nonce="${r.nonce}">
<title>${escapeText(data.heading)}</title>
</head>
<body>
<div id="app" class="pl-root"></div>
<script type="application/json" id="perflens-plan-data" nonce="${r.nonce}">${json}</script>
<script src="${escapeAttribute(r.scriptUri)}" nonce="${r.nonce}"></script>
</body>
</html>`;
}

/** 32 characters from [A-Za-z0-9], fresh for every page. */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...random(32)].map((b) => alphabet[b % alphabet.length]).join('');
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}
