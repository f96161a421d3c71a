import { expect } from "chai";

/** An error class whose instances carry a stable `code` (CryptoError, ContentIdError, StoreError…). */
export type CodedErrorClass<E extends Error & { code: string }> = abstract new (...args: never[]) => E;

/** Asserts `error` is an `ErrorClass` with one of `codes` (the thrown message explains a mismatch), and returns it. */
function expectCoded<E extends Error & { code: string }>(error: unknown, ErrorClass: CodedErrorClass<E>, codes: readonly E["code"][]): E {
  expect(error, String(error)).to.be.instanceOf(ErrorClass);
  expect(codes, (error as Error).message).to.include((error as E).code);
  return error as E;
}

function nothingThrown(ErrorClass: { name: string }, codes: readonly string[]): string {
  return `expected a ${ErrorClass.name} ${codes.join(" or ")}, but nothing was thrown`;
}

/** Asserts that `fn` throws an `ErrorClass` with one of `codes`, and returns it for further checks. */
export function expectCodedError<E extends Error & { code: string }>(
  ErrorClass: CodedErrorClass<E>,
  fn: () => unknown,
  codes: readonly E["code"][],
): E {
  try {
    fn();
  } catch (error) {
    return expectCoded(error, ErrorClass, codes);
  }
  expect.fail(nothingThrown(ErrorClass, codes));
}

/** Async twin of {@link expectCodedError}: `run` must reject with an `ErrorClass` with one of `codes`. */
export async function expectCodedErrorAsync<E extends Error & { code: string }>(
  ErrorClass: CodedErrorClass<E>,
  run: () => Promise<unknown>,
  codes: readonly E["code"][],
): Promise<E> {
  try {
    await run();
  } catch (error) {
    return expectCoded(error, ErrorClass, codes);
  }
  expect.fail(nothingThrown(ErrorClass, codes));
}
