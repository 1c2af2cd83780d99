import type { Language } from '../i18n/localized';
import type { Principal } from '../auth/token-service';
import type { Services } from '../services';

/** What every resolver receives. */
export interface GraphQLContext {
  principal: Principal;
  lang: Language;
  services: Services;
}
