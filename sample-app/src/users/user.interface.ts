export interface Profile {
  displayName: string;
  createdAt: Date;
}

export interface User {
  id: string;
  email: string;
  name: string;
  subscribed: boolean;
  createdAt: Date;
  /** Set by the create-profile task, shortly after registration. */
  profile?: Profile;
}
