/** The one pseudonymisation function lives in service-kit (every service applies it to raw ids given to its routes). */
export { pseudonymiseUserId } from '@livepromo/service-kit';
