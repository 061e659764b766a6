/** Copying a link to the clipboard, wherever the browser lets a page do it. */

/**
 * The Clipboard API exists only in secure contexts (not on plain HTTP from a LAN address): there,
 * and in locked-down browsers, the field is selected and copied the old way, and when even that is
 * refused the link stays selected for the person to copy.
 */
export async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field?.focus();
    field?.select();
    try {
      return document.execCommand?.("copy") ?? false;
    } catch {
      return false;
    }
  }
}
