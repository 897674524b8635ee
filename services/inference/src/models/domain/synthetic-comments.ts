import { mulberry32 } from '@livepromo/ml';

/**
 * A seeded generator of labelled live-stream comments about online courses, Chinese first and
 * English too. Provenance of the default comment models: hand-written templates (below) with
 * slots filled from hand-written lists, plus noise (emoji, repeated punctuation, filler words,
 * dropped characters, upper case). No external data set is used.
 */
export const COMMENT_INTENTS = ['price_question', 'how_to_buy', 'purchase_intent', 'course_content', 'praise', 'complaint', 'spam', 'other'] as const;
export type CommentIntent = (typeof COMMENT_INTENTS)[number];
export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export interface SyntheticComment {
  text: string;
  lang: 'zh' | 'en';
  intent: CommentIntent;
  sentiment: Sentiment;
}

const COURSES_ZH = ['Python课', '这门课', '写作课', '设计课', 'PS课程', '运营课', '管理课', 'Excel课', '数据分析课', '前端课', '这个训练营', '小红书运营课'];
const COURSES_EN = ['the python course', 'this course', 'the writing class', 'the design course', 'the bootcamp', 'the excel course', 'the marketing course', 'this program'];
const TOPICS_ZH = ['零基础', '爬虫', '项目实战', '作业', '直播回放', '证书', '答疑', '课件', '第三章', '面试'];
const TOPICS_EN = ['beginners', 'projects', 'homework', 'replays', 'a certificate', 'Q&A sessions', 'the slides', 'chapter 3', 'interviews'];
const HOST_ZH = ['主播', '老师', '姐姐', '哥哥', '宝宝们', ''];

const T: Record<CommentIntent, { zh: string[]; en: string[] }> = {
  price_question: {
    zh: [
      '{c}多少钱', '多少钱啊{h}', '价格是多少', '{c}什么价格', '现在买多少钱', '有优惠吗', '今天有折扣吗', '还有优惠券吗', '贵不贵', '原价多少现价多少',
      '{h}报个价呗', '比上次便宜吗', '能便宜点吗', '学费多少', '价格怎么算的', '{c}要多少钱', '多少米', '几百块', '今天什么价', '活动价多少',
      '优惠价是多少', '直播间价格多少', '{c}贵吗', '价格多少呀', '有没有便宜点的', '多少钱一节', '全套多少钱', '有新人优惠吗', '价格能再低点吗', '{c}现在啥价',
    ],
    en: [
      'how much is {c}', 'what is the price', 'how much', 'price please', 'any discount today', 'is there a coupon', 'how much does {c} cost', 'is it cheaper than last time',
      'whats the price now', 'can you do a better price', 'price?', 'how much for {c}', 'what does it cost', 'is there a sale price', 'any promo code', 'how much is the full package',
    ],
  },
  how_to_buy: {
    zh: [
      '怎么买', '在哪里买', '链接在哪', '怎么下单', '几号链接', '购物车里哪个', '怎么报名', '在哪报名{c}', '{h}怎么付款', '可以分期吗',
      '支持花呗吗', '小黄车哪个是', '怎么领券', '上链接吧', '拍哪个', '链接在哪里', '怎么购买{c}', '在哪下单', '哪个链接是{c}', '怎么拍',
      '下单入口在哪', '怎么付款啊', '能用微信支付吗', '怎么报名啊{h}', '几号链接是{c}', '链接发一下', '购买方式是什么', '在哪里报名', '怎么买不了', '小黄车几号',
    ],
    en: [
      'how do i buy', 'where is the link', 'how to order', 'which link is it', 'how do i sign up for {c}', 'can i pay in installments', 'where do i pay', 'drop the link please',
      'how to enroll', 'link please', 'where can i buy {c}', 'how do i purchase', 'which item in the cart', 'can i pay with paypal', 'where do i sign up', 'how to buy {c}',
    ],
  },
  purchase_intent: {
    zh: [
      '已拍', '我买了', '下单了', '已报名', '冲了', '拍了拍了', '我要买{c}', '给我来一份', '买它', '必须入手',
      '刚付款了', '马上买', '我报名了{c}', '已下单等发课', '想要想要', '我要报名', '买了买了', '已付款', '我下单了{h}', '准备入手{c}',
      '已经拍了', '我也要', '刚下单', '已买', '冲冲冲', '我要了', '给我留一个名额', '已经报名了', '拍下了', '入手了{c}',
    ],
    en: [
      'just bought it', 'i want {c}', 'ordered', 'signed up', 'buying now', 'take my money', 'i am in', 'just paid for {c}',
      'count me in', 'purchased', 'i bought {c}', 'order placed', 'just enrolled', 'i want it', 'buying {c} now', 'paid already',
    ],
  },
  course_content: {
    zh: [
      '{c}讲什么', '适合{t}吗', '有{t}吗', '{c}有多少节课', '学完能找工作吗', '课程内容是什么', '有没有{t}', '课程有效期多久', '多久能学完', '{c}需要基础吗',
      '老师会批改{t}吗', '能看{t}吗', '课程更新吗', '有大纲吗', '{t}怎么安排', '{c}包括哪些内容', '学这个要多久', '零基础能学会吗', '有{t}吗{h}', '一共几节课',
      '课程是录播还是直播', '{c}难不难', '会讲{t}吗', '适合新手吗', '课程能永久看吗', '学完有{t}吗', '需要什么软件', '内容和上期一样吗', '有练习题吗', '{c}适合谁学',
    ],
    en: [
      'what does {c} cover', 'is it good for {t}', 'are there {t}', 'how many lessons in {c}', 'do i need experience', 'how long is the access', 'is there a syllabus', 'will you review {t}',
      'can i get {t}', 'what will i learn', 'is {c} live or recorded', 'how hard is {c}', 'does it include {t}', 'is it for beginners', 'how many hours of video', 'what software do i need',
    ],
  },
  praise: {
    zh: [
      '{h}讲得太好了', '干货满满', '学到了', '太棒了', '老师好专业', '讲得真清楚', '收获很大', '{c}真的值', '支持{h}', '爱了爱了',
      '终于听懂了', '讲得好细', '良心课程', '666', '好喜欢这个课', '讲得太清楚了', '{h}好厉害', '受益匪浅', '太有用了', '讲得很好',
      '每次都有收获', '{c}质量很高', '老师讲得好棒', '听完豁然开朗', '点赞', '讲得通俗易懂', '太实用了', '真的很专业', '好课推荐', '{h}辛苦了',
    ],
    en: [
      'great explanation', 'this is so helpful', 'love {c}', 'amazing teacher', 'learned a lot', 'super clear thanks', 'best course ever', 'you are awesome',
      'so useful', 'really worth it', 'great job', 'excellent class', 'very clear', 'thank you so much', '{c} is great', 'brilliant teaching',
    ],
  },
  complaint: {
    zh: [
      '太贵了', '{c}就是割韭菜', '上次买的退款还没到', '讲得太快了听不懂', '声音太小', '卡了', '骗人的吧', '客服不回消息', '课程质量太差', '不值这个价',
      '退款退款', '画面好卡', '又在推销', '之前买的根本没用', '内容太水了', '怎么还不发货', '买了后悔', '一直卡顿', '听不清楚', '{c}太坑了',
      '要求退款', '客服态度太差', '讲得乱七八糟', '完全没用', '被骗了', '声音有杂音', '价格虚高', '课程和宣传不一样', '差评', '{h}能不能认真点',
    ],
    en: [
      'too expensive', 'this is a scam', 'still waiting for my refund', 'too fast cant follow', 'no sound', 'the stream keeps lagging', 'support never answers', 'waste of money',
      'not worth it', 'the content is shallow', 'i want a refund', 'terrible quality', 'audio is broken', '{c} was useless', 'overpriced', 'worst class ever',
    ],
  },
  spam: {
    zh: [
      '加微信{n}领资料', '私信我有优惠', '关注我互粉', 'vx{n}', '免费领课加群{n}', '点我头像看福利', '代刷粉丝', '兼职日赚{n}', '低价出号', '加q{n}',
      '加v{n}', '私聊有惊喜', '互关互赞', '刷单兼职', '看我主页', '扫码领红包', '代写作业加{n}', '出售课程资源', '加群{n}', '免费资料私我',
    ],
    en: [
      'follow me for free stuff', 'dm me for cheap courses', 'check my profile', 'free followers here', 'earn {n} a day from home', 'add me on telegram {n}', 'sub4sub', 'cheap accounts for sale',
      'click my bio link', 'whatsapp {n} for deals', 'free crypto giveaway', 'follow for follow',
    ],
  },
  other: {
    zh: [
      '来了', '晚上好', '第一次来', '哈哈哈', '签到', '今天好冷', '刚下班', '{h}好', '打卡', '在吗',
      '前排', '路过', '吃饭了吗', '从北京来的', '有人吗', '大家好', '来晚了', '上海的来报到', '今天周末', '刚来',
      '早上好', '晚安', '外面下雨了', '我在上班', '又见面了', '来啦来啦', '广州的朋友在吗', '今天有点累', '周五了', '你好',
    ],
    en: [
      'hello', 'hi everyone', 'good evening', 'first time here', 'lol', 'greetings from london', 'just got home', 'anyone here',
      'checking in', 'hey', 'good morning', 'whats up', 'hi from toronto', 'back again', 'nice weather today', 'late to the party',
    ],
  },
};

const DEFAULT_SENTIMENT: Record<CommentIntent, Sentiment> = {
  price_question: 'neutral',
  how_to_buy: 'neutral',
  purchase_intent: 'positive',
  course_content: 'neutral',
  praise: 'positive',
  complaint: 'negative',
  spam: 'neutral',
  other: 'neutral',
};

const POS_TAIL = { zh: ['太好了', '好开心', '赞', '期待', '喜欢'], en: ['love it', 'awesome', 'nice', 'cant wait', 'great'] };
const NEG_TAIL = { zh: ['有点失望', '好烦', '不太行', '无语', '唉'], en: ['disappointed', 'annoying', 'meh', 'ugh', 'sad'] };
const EMOJI = ['😀', '👍', '❤️', '🔥', '😂', '🙏', '😅', '😡', '💰'];
const FILLER = { zh: ['啊', '呢', '呀', '哈', '嗯'], en: ['pls', 'guys', 'hmm', 'ok'] };

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}

/**
 * Which templates a generator may use: every fourth template (index % 4 === 3) is kept for
 * evaluation only, so the reported accuracy is on phrasings the model never saw.
 */
export type TemplateFold = 'all' | 'train' | 'eval';

function templatesOf(intent: CommentIntent, lang: 'zh' | 'en', fold: TemplateFold): string[] {
  const all = T[intent][lang];
  if (fold === 'all') return all;
  return all.filter((_, i) => (i % 4 === 3) === (fold === 'eval'));
}

/** One comment of a given intent (and language), with slot filling and noise. */
export function syntheticComment(rand: () => number, intent: CommentIntent, lang: 'zh' | 'en', fold: TemplateFold = 'all'): SyntheticComment {
  let text = pick(rand, templatesOf(intent, lang, fold))
    .replace('{c}', lang === 'zh' ? pick(rand, COURSES_ZH) : pick(rand, COURSES_EN))
    .replace('{t}', lang === 'zh' ? pick(rand, TOPICS_ZH) : pick(rand, TOPICS_EN))
    .replace('{h}', pick(rand, HOST_ZH))
    .replace('{n}', String(100 + Math.floor(rand() * 9900)));
  let sentiment = DEFAULT_SENTIMENT[intent];
  // A quarter of the neutral comments carry a mood, which sets their sentiment.
  if (sentiment === 'neutral' && intent !== 'spam' && rand() < 0.25) {
    const positive = rand() < 0.5;
    text = `${text}${lang === 'zh' ? '，' : ', '}${pick(rand, positive ? POS_TAIL[lang] : NEG_TAIL[lang])}`;
    sentiment = positive ? 'positive' : 'negative';
  }
  if (rand() < 0.2) text = `${pick(rand, HOST_ZH)}${lang === 'en' ? ' ' : ''}${text}`.trim();
  if (rand() < 0.2) text += pick(rand, FILLER[lang]);
  if (rand() < 0.3) text += pick(rand, ['?', '？', '!', '！', '??', '~', '。', '...']);
  if (rand() < 0.2) text += pick(rand, EMOJI);
  if (rand() < 0.1 && text.length > 4) {
    const i = 1 + Math.floor(rand() * (text.length - 2));
    text = text.slice(0, i) + text.slice(i + 1);
  }
  if (lang === 'en' && rand() < 0.15) text = text.toUpperCase();
  return { text, lang, intent, sentiment };
}

/** `n` comments, intents uniform, 70 % Chinese, fully determined by `seed`. */
export function generateSyntheticComments(n: number, seed: number, fold: TemplateFold = 'all'): SyntheticComment[] {
  const rand = mulberry32(seed);
  const out: SyntheticComment[] = [];
  for (let i = 0; i < n; i++) {
    const intent = COMMENT_INTENTS[i % COMMENT_INTENTS.length];
    out.push(syntheticComment(rand, intent, rand() < 0.7 ? 'zh' : 'en', fold));
  }
  return out;
}
