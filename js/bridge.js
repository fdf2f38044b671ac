// Sign-in responses handed back over a same-origin channel, for a popup that the identity
// provider's Cross-Origin-Opener-Policy cut off from the page that opened it: that page can no
// longer read the popup's address, so the popup's redirect page posts it here.
const CHANNEL = "ksa1|popup-response";

// Collects what arrives until closed; take() gives the oldest [hash, search], or undefined.
export function listenForResponses() {
  const channel = new BroadcastChannel(CHANNEL);
  const inbox = [];
  channel.onmessage = ({ data }) => {
    if (typeof data?.hash === "string" && typeof data?.search === "string") inbox.push([data.hash, data.search]);
  };
  return { take: () => inbox.shift(), close: () => channel.close() };
}

export function broadcastResponse(hash, search) {
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ hash, search });
  channel.close();
}
