// The example content of the msg sends: the card and appmsg XML a bot would send, and the link they share.
import { EXAMPLE } from '../../ids.ts';
import { EXAMPLE_URL } from '../../cdn-fields.ts';

export const LINK_TITLE = '2026 新年致辞';
export const LINK_DESC = '回顾过去一年，展望新的开始';

/** A contact card (msg_type 42) of the second friend, as WeChat writes it. */
export const CARD_XML = `<msg username="${EXAMPLE.friend2}" nickname="王芳" alias="wangfang_1990" fullpy="wangfang" shortpy="WF" `
  + 'imagestatus="3" scene="17" province="浙江" city="杭州" sign="" sex="2" certflag="0" certinfo="" brandIconUrl="" '
  + 'brandHomeUrl="" brandSubscriptConfigUrl="" brandFlags="0" regionCode="CN_Zhejiang_Hangzhou" />';

/** A link appmsg (type 5). */
export const APPMSG_XML = `<appmsg appid="" sdkver="0"><title>${LINK_TITLE}</title><des>${LINK_DESC}</des><type>5</type>`
  + `<url>${EXAMPLE_URL.page}</url><thumburl></thumburl></appmsg>`;

/** A Channels (视频号) account as a finder card names it. */
export const FINDER_USERNAME = 'v2_060000231003b20faec8c7e48c1bc3d4c803e836b077d4e2f5d2f0a1d9f1e6f7a5e@finder';
