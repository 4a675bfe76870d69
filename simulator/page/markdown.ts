import { Marked, Tokens } from 'marked';

const SAFE_URL = /^(https?:|mailto:|dingtalk:)/i;

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Markdown as a DingTalk chat shows it, for the simulator's page. Message bodies come from whoever posts to the
 * simulator, so nothing in them may become markup of the page: raw HTML is shown as text, and links and images keep
 * only http(s)/mailto/dingtalk URLs (a `javascript:` link renders as its text). `breaks`: DingTalk shows a single
 * newline as a line break.
 */
const markdown = new Marked({ gfm: true, breaks: true, async: false });
markdown.use({
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link(token: Tokens.Link) {
      if (SAFE_URL.test(token.href.trim())) return false;
      return this.parser.parseInline(token.tokens);
    },
    image(token: Tokens.Image) {
      if (SAFE_URL.test(token.href.trim())) return false;
      return escapeHtml(token.text);
    },
  },
});

export function renderMarkdown(text: string): string {
  return markdown.parse(text, { async: false });
}

/** Plain text (a text message) shown with its line breaks, nothing interpreted. */
export function renderPlainText(text: string): string {
  return escapeHtml(text).replace(/\n/g, '<br>');
}
