/**
 * Libraries bundled into PEV2 (Font Awesome, tippy) add `<style>` elements at run time. The page's
 * Content-Security-Policy admits styles only with its nonce, so every style element gets the nonce of
 * the script that loaded this bundle as it is inserted. Imported first, before PEV2 runs.
 */
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';

function withNonce<A extends unknown[], R>(original: (this: Node, ...args: A) => R): (this: Node, ...args: A) => R {
  return function (this: Node, ...args: A): R {
    const child = args[0];
    if (nonce && child instanceof HTMLStyleElement && !child.nonce) child.nonce = nonce;
    return original.apply(this, args);
  };
}

Node.prototype.appendChild = withNonce(Node.prototype.appendChild) as typeof Node.prototype.appendChild;
Node.prototype.insertBefore = withNonce(Node.prototype.insertBefore) as typeof Node.prototype.insertBefore;

export {};
