/**
 * Which apps have read a mailbox: the CISA AA23-193A signal (Storm-0558 was found by a MailItemsAccessed
 * AppId that had never read that mailbox). One document per mailbox.
 */
export interface MailAppBaseline {
  readonly mailbox: string;
  /** Event time of the first MailItemsAccessed record of this mailbox Lure saw: learning runs from here. */
  readonly firstSeen: string;
  /** `appId|clientAppId` → event time it was last seen. Bounded: the least recently seen pairs go first. */
  readonly pairs: Readonly<Record<string, string>>;
}
