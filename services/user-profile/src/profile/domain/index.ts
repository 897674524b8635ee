export * from './decay';
export * from './profile-state';
export * from './rfm';
export * from './behaviour-score';
export * from './profile-view';
export * from './erasure';
