/** MSAL's errors carry errorCode/errorMessage; anything else its message. */
export function describe(e: unknown): string {
  const error = e as { errorCode?: string; errorMessage?: string; message?: string };
  if (error?.errorCode) return `${error.errorCode}: ${error.errorMessage}`;
  return error?.message ?? String(e);
}
