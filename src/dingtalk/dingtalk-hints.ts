/** What to fix, in plain words, for each way a send to DingTalk can fail: the `hint` of a DingTalkOutcome. */
export const DINGTALK_HINTS = {
  signature:
    "The signature does not match: check the bot's secret (加签, starts with SEC) and that this server's clock is right.",
  unsigned:
    "The robot requires signing (加签) and this bot has no secret: copy the secret (starts with SEC) from the robot's security settings into the bot's secret.",
  timestamp:
    "DingTalk refused the signature's timestamp: this server's clock is more than an hour off. Fix the clock (NTP).",
  keyword:
    "The robot only accepts messages containing one of its keywords (自定义关键词): add a keyword such as 报菜 or 通知 in the robot's security settings, or switch the robot to signing (加签).",
  ipWhitelist:
    "This server's IP address is not in the robot's IP whitelist (IP地址段): add it in the robot's security settings.",
  unknownToken:
    "DingTalk does not know this webhook's access_token: the robot was probably removed from its group. Copy the webhook URL again from the robot's settings.",
  throttled:
    'DingTalk is throttling this robot (over 20 messages a minute): sending to it pauses for 10 minutes.',
  tooManyRequests:
    'DingTalk answered 429 Too Many Requests: sending to this robot pauses for as long as DingTalk asked (Retry-After), or 10 minutes.',
  ipBlocked:
    "DingTalk blocked this server's IP address for calling too often (over 10,000 calls in 20 seconds): every send of the service pauses until the block ends, then everything waiting goes out.",
  quota:
    "The organisation's monthly DingTalk API quota is used up: this app's messages wait (no attempt is spent) until the quota resets at the start of next month (China time), or until the organisation buys more calls (开发者后台 → 资源管理).",
  robotDisabled: 'The robot is switched off in DingTalk: switch it on in the group settings.',
  robotMissing: 'The robot no longer exists in DingTalk: add it to the group again and update the webhook.',
  groupGone: 'The DingTalk group has been disbanded: point the bot at another group.',
  contentBlocked: "DingTalk's content check blocked the message (a link, word or image it considers unsafe).",
  tooLong: 'The message is over 20,000 bytes.',
  badRequest: 'DingTalk rejected the request as malformed; this is a bug in the service, please report it.',
  missingField:
    'DingTalk refused the message: a field it requires is empty or missing (the error names it). If the bot uses a message template, make sure its body cannot render empty, e.g. when it is made only of {{remark}}.',
  credentials:
    "DingTalk rejected the app's credentials: copy client_id (AppKey) and client_secret (AppSecret) again from the app's 凭证与基础信息 page.",
  appIpWhitelist:
    "This server's IP address is not in the app's server IP whitelist (服务器出口IP) in the DingTalk developer console.",
  agentId: 'DingTalk rejected the work notification: check that agent_id is the AgentId of this app.',
  conversation:
    'DingTalk does not know open_conversation_id, or the robot is not in that group: add the robot to the group and write 绑定 to it there.',
  robotCode:
    "DingTalk does not find the app's robot there: check that the robot has been added to the group, and that the app's robot (机器人) capability is enabled and published.",
  permission:
    'The app lacks a permission for this API: grant it in the DingTalk developer console (权限管理).',
  busy: 'DingTalk is busy or had a server error; the service retries with backoff.',
  // The error itself (last_error) names the host and the cause; these say what to look at.
  network:
    "Check that this server can reach DingTalk's host over HTTPS: its DNS, outbound firewall or proxy. The service retries with backoff.",
  timeout:
    "If this keeps happening, check this server's outbound connection to DingTalk (a slow proxy or link); DINGTALK_TIMEOUT_MS sets how long a call may take. The service retries with backoff.",
  stopped:
    'The service stopped this send itself (it was shutting down, or another instance took the send over); it is tried again.',
  tokenExpired: 'The app access token expired; the service fetches a new one.',
  noTarget:
    'The stream bot has no target: set user_ids (work notifications) or open_conversation_id (a group; or write 绑定 to the bot in that group).',
} as const;
