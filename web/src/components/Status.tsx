/** The busy line, the success line and the error line of a panel: every wait and every failure said in words. */
export function Status({ busy, done, error, errorTestId }: { busy?: string; done?: string; error?: string; errorTestId?: string }) {
  return (
    <>
      {busy && (
        <p className="status" role="status">
          <span className="spinner" aria-hidden="true" /> {busy}…
        </p>
      )}
      {done && !busy && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid={errorTestId}>
          {error}
        </p>
      )}
    </>
  );
}
