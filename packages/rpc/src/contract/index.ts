export * from './methods.ts';
export * from './define-method.ts';
export * from './app-spec.ts';
export * from './app-views.ts';
export * from './events.ts';
export * from './units.ts';
export * from './roles.ts';
