/** Category a picked file most likely belongs to: images to Imaging, PDFs to Notes & documents. */
export function suggestedCategory(file: { type: string; name: string }, current: number): number {
  if (file.type.startsWith("image/")) return 5;
  if (file.type === "application/pdf" || file.name.toLowerCase().endsWith(".pdf")) return 7;
  return current;
}
