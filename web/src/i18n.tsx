import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';

/** Every string of the console, in English; `zh` must have every key (the type checks it). */
const en = {
  'app.title': 'SE3 console',
  'app.skip': 'Skip to content',
  'nav.dashboard': 'Dashboard',
  'nav.events': 'Events',
  'nav.strangers': 'Strangers & gallery',
  'nav.devices': 'Devices',
  'nav.problems': 'Problems',
  'nav.menu': 'Menu',
  'nav.main': 'Main navigation',
  'lang.label': 'Language',
  'tz.label': 'Time zone',
  'tz.browser': 'This browser ({zone})',
  'signin.title': 'Sign in',
  'signin.intro': 'Enter an admin API key. The console keeps a session cookie, never the key.',
  'signin.key': 'Admin API key',
  'signin.hint': 'Printed once at the first start, and kept in DATA_DIR/admin-api-key.',
  'signin.submit': 'Sign in',
  'signin.busy': 'Signing in…',
  'signin.wrong': 'This is not an admin API key.',
  'signin.throttled': 'Too many attempts: wait a minute.',
  'signin.failed': 'Could not sign in: {message}',
  'signout': 'Sign out',
  'signout.done': 'You are signed out.',
  'session.ended': 'Your session has ended: sign in again.',
  'live.connected': 'Live',
  'live.connecting': 'Connecting…',
  'live.offline': 'Live feed interrupted, reconnecting',
  'live.paused': 'Paused',
  'live.pause': 'Pause live updates',
  'live.resume': 'Resume live updates',
  'live.newEvents': '{count} new events',
  'live.show': 'Show them',
  'live.gap': '{count} more new events arrived than fit here.',
  'live.reload': 'Reload the list',
  'common.loading': 'Loading…',
  'common.error': 'Something went wrong: {message}',
  'common.retry': 'Try again',
  'common.none': 'Nothing here.',
  'common.more': 'Load more',
  'common.close': 'Close',
  'common.all': 'All',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.unknown': 'unknown',
  'common.copy': 'Copy',
  'common.download': 'Download',
  'common.today': 'Today',
  'common.network': 'the service cannot be reached',
  'common.apply': 'Apply',
  'common.clear': 'Clear',
  'common.open': 'Open',
  'common.endOfList': 'End of the list',
  'pt.1': 'Employee',
  'pt.2': 'Visitor',
  'pt.3': 'Blacklist',
  'pt.4': 'Stranger',
  'pt.5': 'VIP',
  'wa.0': 'None',
  'wa.1001': 'Register stranger',
  'wa.1002': 'Update face',
  'dt.0': 'Gate',
  'dt.1': 'Snapshot camera',
  'dt.2': 'Static IPC',
  'dt.3': 'IPC',
  'dt.4': 'Access control',
  'kind.reg_pic': 'Registered face',
  'kind.spot_pic': 'Scene',
  'kind.recognize_face': 'Face crop',
  'dash.title': 'Today',
  'dash.byPersonType': 'Events today by person type',
  'dash.total': 'All events',
  'dash.perHour': 'Events per hour',
  'dash.strangersLine': 'Strangers',
  'dash.busiest': 'Busiest boxes today',
  'dash.registrations': 'Strangers registered vs refused (today)',
  'dash.registered': 'Registered',
  'dash.alreadyRegistered': 'Already known',
  'dash.refused': 'Refused',
  'dash.latest': 'Latest faces',
  'dash.problems': 'Problems',
  'dash.quarantineWaiting': 'Quarantined, waiting',
  'dash.deadHooks': 'Dead hooks',
  'dash.pendingHooks': 'Pending hooks',
  'dash.noEvents': 'No events yet today.',
  'events.title': 'Events',
  'events.filters': 'Filters',
  'events.from': 'From',
  'events.to': 'To',
  'events.range.hour': 'Last hour',
  'events.range.today': 'Today',
  'events.range.day': 'Last 24 h',
  'events.range.week': 'Last 7 days',
  'events.box': 'Box (dev_sno)',
  'events.edgePoint': 'Edge point (ep_id)',
  'events.personType': 'Person type',
  'events.wantAction': 'Action',
  'events.name': 'Name contains',
  'events.identityId': 'Person id',
  'events.group': 'Group',
  'events.scoreMin': 'Score from',
  'events.scoreMax': 'Score to',
  'events.quality': 'Face quality',
  'events.quality.pass': 'Passed',
  'events.quality.fail': 'Failed',
  'events.hasImage': 'With image',
  'events.any': 'Any',
  'events.view': 'View',
  'events.grid': 'Grid',
  'events.list': 'List',
  'events.clearFilters': 'Clear filters',
  'events.count': '{count} events',
  'events.countMore': 'at least {count} events',
  'events.empty': 'No event matches these filters.',
  'events.time': 'Time',
  'events.person': 'Person',
  'events.score': 'Score',
  'events.device': 'Device',
  'events.keys': 'Keys: ←/→/↑/↓ move, Enter opens, Esc closes, / searches names',
  'events.noFace': 'No image',
  'events.qualityFailed': 'Poor face quality',
  'detail.title': 'Event {id}',
  'detail.images': 'Images',
  'detail.fields': 'Fields',
  'detail.quality': 'Face quality',
  'detail.boxVerdict': "Box's verdict",
  'detail.pass': 'Pass',
  'detail.fail': 'Fail',
  'detail.noVerdict': 'No verdict sent',
  'detail.camera': 'Camera',
  'detail.hooks': 'Hooks it caused',
  'detail.noHooks': 'This event caused no hook.',
  'detail.gallery': 'What the gallery did',
  'detail.original': 'Original upload (JSON)',
  'detail.showOriginal': 'Show the original',
  'detail.openFull': 'Open the full image',
  'detail.receivedAt': 'Received',
  'detail.receivedFrom': 'From address',
  'detail.eventTime': 'Event time',
  'detail.extra': 'Undocumented fields',
  'detail.personPage': 'Person page',
  'detail.notFound': 'This event does not exist (any more).',
  'detail.faceBox': 'Face in the scene',
  'q.face_size': 'Face size',
  'q.clarity': 'Clarity',
  'q.headpose': 'Pose',
  'q.partial': 'Occlusion',
  'q.brightness': 'Brightness',
  'q.age': 'Age',
  'q.sex': 'Sex',
  'q.sex.0': 'male',
  'q.sex.1': 'female',
  'q.confidence': 'Confidence',
  'q.eyeDist': 'Eye distance',
  'hook.status.pending': 'Pending',
  'hook.status.delivered': 'Delivered',
  'hook.status.dead': 'Dead',
  'hook.attempts': '{count} attempts',
  'hook.nextAttempt': 'next attempt {time}',
  'hook.lastError': 'Last error',
  'hook.retry': 'Retry',
  'hook.retried': 'The dead deliveries are pending again.',
  'hook.subscriber': 'Subscriber',
  'outcome.registered': 'Registered',
  'outcome.already_registered': 'Already registered',
  'outcome.identity_created': 'Identity created',
  'outcome.face_replaced': 'Face replaced',
  'outcome.rejected': 'Refused',
  'outcome.pending': 'Pending',
  'strangers.title': 'Strangers & gallery',
  'strangers.registrations': 'Stranger registrations',
  'strangers.gallery': 'Gallery',
  'strangers.outcome': 'Outcome',
  'strangers.reason': 'Reason',
  'strangers.noRegistrations': 'No stranger registration yet.',
  'strangers.noIdentities': 'The gallery is empty.',
  'strangers.group': 'Group',
  'strangers.updated': 'Updated {time}',
  'person.title': 'Person',
  'person.activity': 'Events per day (last 90 days)',
  'person.faces': 'Face history',
  'person.current': 'Current face',
  'person.history': 'Gallery history',
  'person.events': 'Recent events',
  'person.allEvents': 'All events of this person',
  'person.notInGallery': 'This person is not in the platform gallery.',
  'person.replaced': 'replaced {time}',
  'devices.title': 'Devices',
  'devices.box': 'Box',
  'devices.edgePoints': '{count} edge points',
  'devices.lastEvent': 'Last event',
  'devices.events': 'Events',
  'devices.perDay': 'Events per day (14 days)',
  'devices.active': 'Active',
  'devices.quietMin': 'Quiet for {count} min',
  'devices.quietHours': 'Quiet for {count} h',
  'devices.quietDays': 'Quiet for {count} days',
  'devices.heartbeatNote': 'Online state comes from the last event until the boxes send heartbeats.',
  'devices.unmanaged': '(not in managed mode)',
  'devices.ip': 'IP',
  'devices.type': 'Type',
  'devices.showEvents': 'Events of this device',
  'devices.none': 'No box has sent an event yet.',
  'problems.title': 'Problems',
  'problems.quarantine': 'Quarantine',
  'problems.hooks': 'Hooks',
  'problems.conflicts': 'Conflicting duplicates',
  'problems.waiting': 'Waiting',
  'problems.replayedFilter': 'Replayed',
  'problems.errors': 'Errors',
  'problems.payload': 'Payload as uploaded',
  'problems.replay': 'Replay',
  'problems.replayed': 'Replayed into event {id}',
  'problems.stillInvalid': 'It still fails validation:',
  'problems.noQuarantine': 'Nothing in quarantine.',
  'problems.noHooks': 'No hook in this state.',
  'problems.conflictsSoon':
    'Events that share an event key but differ in content will be listed here once the service records them.',
  'problems.received': 'Received {time}',
  'problems.format': 'as {format}',
  'problems.box': 'box {box}',
} as const;

export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  'app.title': 'SE3 控制台',
  'app.skip': '跳到正文',
  'nav.dashboard': '总览',
  'nav.events': '事件',
  'nav.strangers': '陌生人与底库',
  'nav.devices': '设备',
  'nav.problems': '问题',
  'nav.menu': '菜单',
  'nav.main': '主导航',
  'lang.label': '语言',
  'tz.label': '时区',
  'tz.browser': '本浏览器（{zone}）',
  'signin.title': '登录',
  'signin.intro': '请输入管理 API 密钥。控制台只保存会话 Cookie，不保存密钥。',
  'signin.key': '管理 API 密钥',
  'signin.hint': '首次启动时打印一次，并保存在 DATA_DIR/admin-api-key。',
  'signin.submit': '登录',
  'signin.busy': '正在登录…',
  'signin.wrong': '这不是管理 API 密钥。',
  'signin.throttled': '尝试次数过多，请一分钟后再试。',
  'signin.failed': '无法登录：{message}',
  'signout': '退出登录',
  'signout.done': '您已退出登录。',
  'session.ended': '会话已结束，请重新登录。',
  'live.connected': '实时',
  'live.connecting': '正在连接…',
  'live.offline': '实时推送中断，正在重连',
  'live.paused': '已暂停',
  'live.pause': '暂停实时更新',
  'live.resume': '恢复实时更新',
  'live.newEvents': '{count} 条新事件',
  'live.show': '显示',
  'live.gap': '新到事件过多，另有 {count} 条未能显示。',
  'live.reload': '重新加载列表',
  'common.loading': '加载中…',
  'common.error': '出错了：{message}',
  'common.retry': '重试',
  'common.none': '暂无内容。',
  'common.more': '加载更多',
  'common.close': '关闭',
  'common.all': '全部',
  'common.yes': '是',
  'common.no': '否',
  'common.unknown': '未知',
  'common.copy': '复制',
  'common.download': '下载',
  'common.today': '今天',
  'common.network': '无法连接服务',
  'common.apply': '应用',
  'common.clear': '清除',
  'common.open': '打开',
  'common.endOfList': '已到列表末尾',
  'pt.1': '员工',
  'pt.2': '访客',
  'pt.3': '黑名单',
  'pt.4': '陌生人',
  'pt.5': 'VIP',
  'wa.0': '无',
  'wa.1001': '注册陌生人',
  'wa.1002': '更新人脸',
  'dt.0': '闸机',
  'dt.1': '抓拍机',
  'dt.2': '静态 IPC',
  'dt.3': 'IPC',
  'dt.4': '门禁',
  'kind.reg_pic': '注册照',
  'kind.spot_pic': '现场图',
  'kind.recognize_face': '人脸抠图',
  'dash.title': '今天',
  'dash.byPersonType': '今日各类人员事件数',
  'dash.total': '全部事件',
  'dash.perHour': '每小时事件数',
  'dash.strangersLine': '陌生人',
  'dash.busiest': '今日最繁忙的盒子',
  'dash.registrations': '陌生人注册：成功与拒绝（今日）',
  'dash.registered': '已注册',
  'dash.alreadyRegistered': '已存在',
  'dash.refused': '被拒绝',
  'dash.latest': '最新人脸',
  'dash.problems': '问题',
  'dash.quarantineWaiting': '隔离中待处理',
  'dash.deadHooks': '投递失败的钩子',
  'dash.pendingHooks': '待投递的钩子',
  'dash.noEvents': '今天还没有事件。',
  'events.title': '事件',
  'events.filters': '筛选',
  'events.from': '开始',
  'events.to': '结束',
  'events.range.hour': '最近一小时',
  'events.range.today': '今天',
  'events.range.day': '最近 24 小时',
  'events.range.week': '最近 7 天',
  'events.box': '盒子（dev_sno）',
  'events.edgePoint': '边缘点（ep_id）',
  'events.personType': '人员类型',
  'events.wantAction': '动作',
  'events.name': '姓名包含',
  'events.identityId': '人员 ID',
  'events.group': '分组',
  'events.scoreMin': '最低分数',
  'events.scoreMax': '最高分数',
  'events.quality': '人脸质量',
  'events.quality.pass': '合格',
  'events.quality.fail': '不合格',
  'events.hasImage': '含图片',
  'events.any': '不限',
  'events.view': '视图',
  'events.grid': '网格',
  'events.list': '列表',
  'events.clearFilters': '清除筛选',
  'events.count': '{count} 条事件',
  'events.countMore': '至少 {count} 条事件',
  'events.empty': '没有符合筛选条件的事件。',
  'events.time': '时间',
  'events.person': '人员',
  'events.score': '分数',
  'events.device': '设备',
  'events.keys': '按键：方向键移动，回车打开，Esc 关闭，/ 搜索姓名',
  'events.noFace': '无图片',
  'events.qualityFailed': '人脸质量差',
  'detail.title': '事件 {id}',
  'detail.images': '图片',
  'detail.fields': '字段',
  'detail.quality': '人脸质量',
  'detail.boxVerdict': '盒子判定',
  'detail.pass': '合格',
  'detail.fail': '不合格',
  'detail.noVerdict': '未上报判定',
  'detail.camera': '相机',
  'detail.hooks': '产生的钩子',
  'detail.noHooks': '此事件未产生钩子。',
  'detail.gallery': '底库处理结果',
  'detail.original': '原始上传（JSON）',
  'detail.showOriginal': '显示原始数据',
  'detail.openFull': '打开原图',
  'detail.receivedAt': '接收时间',
  'detail.receivedFrom': '来源地址',
  'detail.eventTime': '事件时间',
  'detail.extra': '未在文档中的字段',
  'detail.personPage': '人员页面',
  'detail.notFound': '此事件不存在（或已被清理）。',
  'detail.faceBox': '现场图中的人脸',
  'q.face_size': '人脸大小',
  'q.clarity': '清晰度',
  'q.headpose': '姿态',
  'q.partial': '遮挡',
  'q.brightness': '亮度',
  'q.age': '年龄',
  'q.sex': '性别',
  'q.sex.0': '男',
  'q.sex.1': '女',
  'q.confidence': '置信度',
  'q.eyeDist': '眼距',
  'hook.status.pending': '待投递',
  'hook.status.delivered': '已投递',
  'hook.status.dead': '投递失败',
  'hook.attempts': '已尝试 {count} 次',
  'hook.nextAttempt': '下次尝试 {time}',
  'hook.lastError': '最近错误',
  'hook.retry': '重试',
  'hook.retried': '失败的投递已重新排队。',
  'hook.subscriber': '订阅方',
  'outcome.registered': '已注册',
  'outcome.already_registered': '早已注册',
  'outcome.identity_created': '已创建身份',
  'outcome.face_replaced': '已更换人脸',
  'outcome.rejected': '已拒绝',
  'outcome.pending': '处理中',
  'strangers.title': '陌生人与底库',
  'strangers.registrations': '陌生人注册',
  'strangers.gallery': '底库',
  'strangers.outcome': '结果',
  'strangers.reason': '原因',
  'strangers.noRegistrations': '暂无陌生人注册。',
  'strangers.noIdentities': '底库为空。',
  'strangers.group': '分组',
  'strangers.updated': '更新于 {time}',
  'person.title': '人员',
  'person.activity': '每日事件数（最近 90 天）',
  'person.faces': '人脸历史',
  'person.current': '当前人脸',
  'person.history': '底库记录',
  'person.events': '最近事件',
  'person.allEvents': '此人的全部事件',
  'person.notInGallery': '此人不在平台底库中。',
  'person.replaced': '于 {time} 被替换',
  'devices.title': '设备',
  'devices.box': '盒子',
  'devices.edgePoints': '{count} 个边缘点',
  'devices.lastEvent': '最近事件',
  'devices.events': '事件数',
  'devices.perDay': '每日事件数（14 天）',
  'devices.active': '活跃',
  'devices.quietMin': '已静默 {count} 分钟',
  'devices.quietHours': '已静默 {count} 小时',
  'devices.quietDays': '已静默 {count} 天',
  'devices.heartbeatNote': '在盒子发送心跳之前，在线状态根据最近事件推断。',
  'devices.unmanaged': '（非管理模式）',
  'devices.ip': 'IP',
  'devices.type': '类型',
  'devices.showEvents': '此设备的事件',
  'devices.none': '还没有盒子上报事件。',
  'problems.title': '问题',
  'problems.quarantine': '隔离区',
  'problems.hooks': '钩子',
  'problems.conflicts': '冲突的重复事件',
  'problems.waiting': '待处理',
  'problems.replayedFilter': '已重放',
  'problems.errors': '错误',
  'problems.payload': '上传的原始内容',
  'problems.replay': '重放',
  'problems.replayed': '已重放为事件 {id}',
  'problems.stillInvalid': '仍未通过校验：',
  'problems.noQuarantine': '隔离区为空。',
  'problems.noHooks': '没有此状态的钩子。',
  'problems.conflictsSoon': '事件键相同但内容不同的事件，将在服务开始记录后显示在这里。',
  'problems.received': '接收于 {time}',
  'problems.format': '格式 {format}',
  'problems.box': '盒子 {box}',
};

export type Language = 'en' | 'zh';
const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en, zh };
const LANGUAGE_KEY = 'se3.console.language';
const ZONE_KEY = 'se3.console.timeZone';

export const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function initialLanguage(): Language {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.languages.some((language) => language.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  timeZone: string;
  setTimeZone(zone: string | null): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** A date and time in the operator's zone. */
  dateTime(value: string | number | Date): string;
  time(value: string | number | Date): string;
  date(value: string | number | Date): string;
  /** Time of day for today, else a short date and time. */
  short(value: string | number | Date): string;
  number(value: number): string;
  relative(value: string | number | Date): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [timeZone, setTimeZoneState] = useState<string>(() => localStorage.getItem(ZONE_KEY) || BROWSER_ZONE);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(LANGUAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const setTimeZone = useCallback((zone: string | null) => {
    if (zone) localStorage.setItem(ZONE_KEY, zone);
    else localStorage.removeItem(ZONE_KEY);
    setTimeZoneState(zone || BROWSER_ZONE);
  }, []);
  const value = useMemo<I18n>(() => {
    const locale = language === 'zh' ? 'zh-CN' : 'en-GB';
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    const dateTimeFormat = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'medium' });
    const timeFormat = new Intl.DateTimeFormat(locale, { timeZone, timeStyle: 'medium' });
    const dateFormat = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium' });
    const shortFormat = new Intl.DateTimeFormat(locale, { timeZone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    const numberFormat = new Intl.NumberFormat(locale);
    const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    const dictionary = DICTIONARIES[language];
    return {
      language,
      setLanguage,
      timeZone,
      setTimeZone,
      t: (key, values) =>
        dictionary[key].replace(/\{(\w+)\}/g, (_, name: string) =>
          values?.[name] === undefined ? `{${name}}` : typeof values[name] === 'number' ? numberFormat.format(values[name] as number) : String(values[name]),
        ),
      dateTime: (input) => dateTimeFormat.format(new Date(input)),
      time: (input) => timeFormat.format(new Date(input)),
      date: (input) => dateFormat.format(new Date(input)),
      short: (input) => {
        const value = new Date(input);
        return dayOf.format(value) === dayOf.format(new Date()) ? timeFormat.format(value) : shortFormat.format(value);
      },
      number: (input) => numberFormat.format(input),
      relative: (input) => {
        const seconds = Math.round((new Date(input).getTime() - Date.now()) / 1000);
        const abs = Math.abs(seconds);
        if (abs < 60) return relativeFormat.format(seconds, 'second');
        if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
        if (abs < 86400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
        return relativeFormat.format(Math.round(seconds / 86400), 'day');
      },
    };
  }, [language, timeZone, setLanguage, setTimeZone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}

/** The offset of `zone` from UTC at `instant`, in milliseconds. */
export function zoneOffsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** `2024-03-31T08:00` read as a wall time in `zone` (the value of a datetime-local input), as an instant. */
export function wallTimeToInstant(wall: string, zone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wall);
  if (!match) return null;
  const guess = Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5]);
  const first = guess - zoneOffsetMs(guess, zone);
  return new Date(guess - zoneOffsetMs(first, zone));
}

/** An instant as the wall time of `zone`, for a datetime-local input. */
export function instantToWallTime(instant: Date, zone: string): string {
  return new Date(instant.getTime() + zoneOffsetMs(instant.getTime(), zone)).toISOString().slice(0, 16);
}

/** Midnight today in `zone`. */
export function startOfToday(zone: string, now = Date.now()): Date {
  const wall = new Date(now + zoneOffsetMs(now, zone)).toISOString().slice(0, 10);
  return wallTimeToInstant(`${wall}T00:00`, zone)!;
}
