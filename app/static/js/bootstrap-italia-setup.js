// Runs before Bootstrap Italia's bundle. The bundle includes video.js, which on load
// injects a <style> element with its default player sizes; the Content-Security-Policy
// (style-src 'self') refuses inline styles, and no page plays video, so it is turned off.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
