/**
 * The widgets' look, inside their shadow roots. Pages theme them with CSS custom properties
 * (--rolebook-*) on the element or any ancestor, and with ::part() for anything else.
 */
export const CSS = `
:host{display:block;font:var(--rolebook-font,inherit);color:var(--rolebook-color,inherit);line-height:1.4}
:host([hidden]){display:none}
*{box-sizing:border-box}
.card{background:var(--rolebook-background,transparent);border:1px solid var(--rolebook-border,#b9bec4);border-radius:var(--rolebook-radius,6px);padding:var(--rolebook-spacing,1rem)}
h2,h3,h4,h5,h6{margin:0 0 .25em;font-size:1.1em;line-height:1.25}
h3,h4,h5,h6{font-size:1em}
p{margin:.25em 0}
.meta,.role,.detail,.empty{color:var(--rolebook-muted,#4d5660)}
.meta{font-size:.9em}
ul{list-style:none;margin:.5em 0 0;padding:0}
li{padding:.3em 0;border-top:1px solid var(--rolebook-divider,#e3e6e9)}
li:first-child{border-top:0}
.post{font-weight:600;display:block}
.person{display:block}
.name{font-weight:600}
.vacant{font-style:italic;color:var(--rolebook-muted,#4d5660)}
.unit{margin-top:.75em;padding-left:.75em;border-left:3px solid var(--rolebook-accent,#0b5cad)}
.possible{cursor:help;border-bottom:1px dotted}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em .75em;margin:.75em 0 0}
dt{color:var(--rolebook-muted,#4d5660)}
dd{margin:0;white-space:pre-line}
a{color:var(--rolebook-link,#0b5cad)}
.status{display:flex;align-items:center;gap:.5em;color:var(--rolebook-muted,#4d5660)}
.spinner{width:1em;height:1em;border:2px solid currentColor;border-right-color:transparent;border-radius:50%;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
@media (prefers-reduced-motion:reduce){.spinner{animation:none}}
.error{color:var(--rolebook-error,#a4120f);border-color:currentColor}
button{font:inherit;margin-top:.5em;padding:.25em .75em;border:1px solid currentColor;border-radius:var(--rolebook-radius,6px);background:var(--rolebook-background,#fff);color:inherit;cursor:pointer}
button:focus-visible,input:focus-visible,[role=option]:focus-visible{outline:3px solid var(--rolebook-focus,#f0a500);outline-offset:2px}
label{display:block;font-weight:600;margin-bottom:.25em}
input{font:inherit;width:100%;padding:.4em .6em;border:1px solid var(--rolebook-border,#6b737b);border-radius:var(--rolebook-radius,6px);background:var(--rolebook-input-background,#fff);color:var(--rolebook-input-color,#1b1f23)}
[role=listbox]{margin-top:.25em}
[role=option]{cursor:pointer;padding:.4em .5em;border-radius:var(--rolebook-radius,6px)}
[role=option][aria-selected=true],[role=option]:hover{background:var(--rolebook-highlight,#e4eefa)}
.type{display:inline-block;font-size:.75em;text-transform:uppercase;letter-spacing:.04em;margin-right:.5em;color:var(--rolebook-muted,#4d5660)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

let sheet: CSSStyleSheet | null | undefined;

/**
 * Constructed style sheets (not a <style> element), so the widgets also work on pages whose CSP
 * forbids inline styles; a <style> element where the browser has no constructed sheets.
 */
export function adoptStyles(root: ShadowRoot): void {
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    } catch {
      sheet = null;
    }
  }
  if (sheet && 'adoptedStyleSheets' in root) root.adoptedStyleSheets = [sheet];
  else {
    const style = document.createElement('style');
    style.textContent = CSS;
    root.appendChild(style);
  }
}
