// Slips print from a hidden frame on this page: the slip's own page (HTML from the API) loads
// there and its print dialog opens, with no pop-up to allow and no tab to close. A browser set
// to print silently (Chromium's --kiosk-printing) prints with no dialog at all.

let frame: HTMLIFrameElement | null = null;

export function printSlip(url: string): void {
  frame?.remove();
  frame = document.createElement('iframe');
  frame.className = 'slip-frame';
  frame.title = 'Slip to print';
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.dataset.slip = url;
  const loaded = frame;
  frame.addEventListener('load', () => {
    try {
      loaded.contentWindow?.focus();
      loaded.contentWindow?.print();
    } catch {
      window.open(url, '_blank', 'noopener');
    }
    // the scan input takes the focus back once the dialog closes
    window.focus();
    window.dispatchEvent(new Event('tamarack:printed'));
  });
  frame.src = url;
  document.body.appendChild(frame);
}
