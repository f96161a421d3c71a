import "./print.css";

/**
 * Prints one element of the page alone (the wallet card, the triage summary): the browser's print takes the whole
 * page, so the element is marked for print.css, which hides everything else while the dialog is open.
 */
export function printOnly(element: HTMLElement | null): void {
  if (element === null) return;
  element.setAttribute("data-print-target", "");
  document.body.setAttribute("data-printing", "");
  const done = () => {
    element.removeAttribute("data-print-target");
    document.body.removeAttribute("data-printing");
    window.removeEventListener("afterprint", done);
  };
  window.addEventListener("afterprint", done);
  window.print();
}
