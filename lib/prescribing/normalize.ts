/**
 * Word-level normalisation of drug, allergy and condition names, so that "Warfarin Sodium 5 MG Oral Tablet",
 * "ADVIL" and "Salbutamol 100 micrograms/dose inhaler" can be searched for known names. Salts, strengths and dose
 * forms need no stripping: names are found as whole-word runs inside the text, and the extra words are ignored.
 * Hand-written (a dozen lines) because a general-purpose tokenizer would not know that "co-trimoxazole" and
 * "co trimoxazole" are the same name, and a stemmer would merge names that must stay apart.
 */

/** Lower-case words of `text`: accents removed, every run of non-alphanumerics a separator. */
export function words(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** The canonical form of a name (its words joined by single spaces): the key names are compared by. */
export function nameKey(text: string): string {
  return words(text).join(" ");
}

/**
 * An index of phrases (each a list of words) to the values they stand for; `find` returns every value whose
 * phrase occurs as a whole-word run in a text.
 */
export class PhraseIndex<V> {
  private readonly byFirstWord = new Map<string, { phrase: string[]; value: V }[]>();

  /** Adds `phrase` (any spelling: it is normalised) for `value`. */
  add(phrase: string, value: V): void {
    const phraseWords = words(phrase);
    if (phraseWords.length === 0) return;
    const bucket = this.byFirstWord.get(phraseWords[0]) ?? [];
    bucket.push({ phrase: phraseWords, value });
    this.byFirstWord.set(phraseWords[0], bucket);
  }

  /** Every value one of whose phrases occurs in `text`, once each, in order of first appearance. */
  find(text: string): V[] {
    const textWords = words(text);
    const found: V[] = [];
    textWords.forEach((word, start) => {
      for (const { phrase, value } of this.byFirstWord.get(word) ?? []) {
        if (phrase.every((w, i) => textWords[start + i] === w) && !found.includes(value)) found.push(value);
      }
    });
    return found;
  }
}
