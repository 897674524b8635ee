/** DI tokens of the platform (in their own file so guards and the module do not import each other). */
export const CONFIG = Symbol('LIVEPROMO_CONFIG');
export const SERVICE_NAME = Symbol('LIVEPROMO_SERVICE_NAME');
