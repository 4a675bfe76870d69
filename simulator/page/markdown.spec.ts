import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderPlainText } from './markdown';

describe('simulator page markdown', () => {
  it('renders what DingTalk markdown messages use', () => {
    const html = renderMarkdown('#### 午餐\n- 宫保鸡丁\n\n**辣** [菜单](https://example.com/menu)\n第二行');
    expect(html).toContain('<h4>午餐</h4>');
    expect(html).toContain('<li>宫保鸡丁</li>');
    expect(html).toContain('<strong>辣</strong>');
    expect(html).toContain('<a href="https://example.com/menu">菜单</a>');
    expect(html).toContain('<br>第二行');
  });

  it('never turns a message body into page markup', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](javascript:alert(2)) <b onclick="y">b</b>',
    );
    expect(html).not.toMatch(/<script|<img|<b |javascript:/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(renderPlainText('<i>a</i>\nb')).toBe('&lt;i&gt;a&lt;/i&gt;<br>b');
  });
});
