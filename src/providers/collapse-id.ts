/** Apple's limit on `apns-collapse-id`, in bytes. */
const maxCollapseIdBytes = 64;

/** `apns-collapse-id` for a message's collapse id, whether it goes to APNs directly or through FCM. */
export function apnsCollapseId(collapseId: string): string {
  return truncateUtf8(collapseId, maxCollapseIdBytes);
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    bytes += Buffer.byteLength(character, "utf8");
    if (bytes > maxBytes) break;
    end += character.length;
  }
  return text.slice(0, end);
}
