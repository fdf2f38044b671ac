/**
 * For a popup's redirect page that loads nothing else: hands the sign-in response in the page's
 * address to the page that opened the popup (even when the identity provider's
 * Cross-Origin-Opener-Policy cut the two apart), then closes the popup.
 */
export function broadcastResponseToMainFrame(): Promise<void>;
