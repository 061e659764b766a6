/** Why the camera or microphone could not be opened, in words a person can act on. */

export function mediaErrorText(error: unknown, video: boolean): string {
  const devices = video ? "camera and microphone" : "microphone";
  switch ((error as { name?: string })?.name) {
    case "NotAllowedError":
    case "SecurityError":
      return `The browser was not allowed to use your ${devices}. Allow it in the address bar's ` +
        "site settings, then call again.";
    case "NotFoundError":
    case "OverconstrainedError":
      return video
        ? "No camera or microphone was found. Connect one, or make a voice call."
        : "No microphone was found. Connect one, then call again.";
    case "NotReadableError":
    case "AbortError":
      return `Your ${devices} could not be started: another app may be using it. Close it, then ` +
        "call again.";
    default:
      return `Your ${devices} could not be opened.`;
  }
}
