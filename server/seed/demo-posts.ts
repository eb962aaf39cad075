/**
 * Demo content, written for this project. Each post names the shape of the
 * thread the seed builds under it.
 */
export interface DemoPost {
  title: string;
  slug: string;
  letter: string;
  answer: string;
  tags: string[];
  daysAgo: number;
  commentStatus: 'open' | 'closed';
  /** How many comments to generate, and how many of them start a new subthread. */
  comments: number;
  topLevelShare: number;
}

export const COLUMNIST = 'Marisol Vance';

export const DEMO_POSTS: DemoPost[] = [
  {
    title: 'My coworker presents my analysis in meetings as if it were hers',
    slug: 'coworker-presents-my-analysis-as-hers',
    letter: `I'm a data analyst on a team of six. For the last few months, one of my peers (same title, same manager) has started asking me for "a quick look" at my numbers before our weekly review. Then, in the review, she walks everyone through my charts and conclusions before I get a chance to speak. She never says they're hers, exactly, but she never says they're mine either, and our director has started thanking her for "the great insight."

I don't want to be the person who fights over credit. But my review is in two months, and I'm worried the work people remember won't be attached to my name. How do I handle this without looking petty?`,
    answer: `You're not being petty. Credit is how the organization decides whose judgment to trust, and right now it's quietly being routed to someone else.

The good news is that you can fix most of this with process rather than confrontation.

**Stop giving the preview.** "A quick look" is the mechanism. You can say, pleasantly, "I'm still finalizing it — I'll walk everyone through it in the review." You don't owe a peer an early copy of work you'll present yourself.

**Put your name on the artifact.** Send your analysis to the whole group (including your manager) the morning of the review, with a short summary in your own words. Now there is a timestamped record of whose work it is.

**Claim the floor early.** When the topic comes up, be the first to speak: "I pulled these numbers together this week — here's what jumped out." If she starts presenting anyway, a calm "Thanks — since I built this, let me walk through the caveats" is entirely professional.

**Tell your manager, briefly and factually.** Not "she's stealing from me," but "I've noticed my analysis from the last few reviews has been presented by someone else before I could speak. I'm going to start sending it out ahead of time, and I wanted you to know the background."

Most credit-takers rely on ambiguity. Once the record is clear, the habit tends to stop on its own. If it doesn't, you'll have the documentation to make it your manager's problem, which is where it belongs.`,
    tags: ['coworkers', 'credit', 'meetings'],
    daysAgo: 2,
    commentStatus: 'open',
    comments: 1200,
    topLevelShare: 0.22,
  },
  {
    title: 'Do I have to go on the “optional” weekend team retreat?',
    slug: 'optional-weekend-team-retreat',
    letter: `My company is holding a two-day team retreat at a lodge three hours away, over a weekend. The invitation says attendance is optional, but my manager has mentioned twice how much she's "counting on everyone." I have two kids and weekends are the only time I see them properly. Is it reasonable to skip it?`,
    answer: `It's reasonable, and you should expect that some people will notice. Both things are true.

"Optional" events that happen on weekends are rarely as optional as the invitation says, so it's worth asking your manager directly: "The invite says this is optional. Because of family commitments I'd plan to skip it — is there anything you'd need from me that I'd miss?" That turns a vague expectation into a concrete conversation.

If she says it's fine, take her at her word and make a point of being present and engaged the following week. If she says it's really expected, then it isn't optional, and it's fair to ask whether the company will cover childcare or treat it as working time.`,
    tags: ['managers', 'work-life-balance'],
    daysAgo: 6,
    commentStatus: 'open',
    comments: 64,
    topLevelShare: 0.35,
  },
  {
    title: 'My manager texts me at 11 pm and expects an answer',
    slug: 'manager-texts-late-at-night',
    letter: `My new manager sends texts late at night — usually questions that could wait, like "did the vendor reply?" If I don't answer by morning she mentions it in our one-on-one. I'm salaried, but my job description says nothing about being on call. How do I set a boundary with someone who has power over me?`,
    answer: `Start with the assumption that she hasn't thought about it, because many late-night texters haven't: they send things when they remember them and don't consider that the other person reads them right away.

Raise it once, in daylight: "I've noticed a few texts come in late at night. I usually have my phone on do-not-disturb after nine, so I'll see them first thing in the morning. If something is truly urgent, would you call instead?" This sets the expectation without accusing her of anything, and it gives her an escalation path for real emergencies.

Then act consistently. Answer the 11 pm text at 8 am, warmly and promptly. If she continues to raise it in one-on-ones after you've had that conversation, that's useful information about the job — and a fair topic for a frank talk about what the role actually requires.`,
    tags: ['managers', 'boundaries'],
    daysAgo: 12,
    commentStatus: 'closed',
    comments: 38,
    topLevelShare: 0.4,
  },
  {
    title: 'How do I tell my boss I’m burning out?',
    slug: 'telling-my-boss-about-burnout',
    letter: `I've been doing the work of two people since a colleague left in the spring, and they haven't backfilled the role. I'm exhausted and making mistakes I wouldn't normally make. I like my boss, but I'm afraid that if I say I'm struggling, she'll think I can't handle the job.`,
    answer: `Frame it as a workload problem, because that's what it is. You aren't failing at one job; you're doing two.

Go in with specifics: the tasks you inherited, roughly how much time they take, and what has slipped as a result. Then ask for a decision: "I can't keep doing both roles at this level. Which of these should I prioritize until the position is filled, and what can we pause?"

Good managers want to hear this before the mistakes get bigger. And if yours reacts badly to a clear, calm account of an impossible workload, that tells you something important about whether this job can ever be sustainable.`,
    tags: ['managers', 'workload'],
    daysAgo: 20,
    commentStatus: 'open',
    comments: 9,
    topLevelShare: 0.5,
  },
];
