import type { Admission, RequestLimiter } from './requestLimiter.js';
import type { BudgetGuard, BudgetReservation } from './budgetGuard.js';

const OPEN_ADMISSION: Admission = { headers: {}, release: () => undefined };
const NO_RESERVATION: BudgetReservation = { headers: {}, settle: () => undefined };

/** For a gateway configured without limits or budgets: every request is admitted and nothing is reserved. */
export const unlimitedRequests: RequestLimiter = { admit: () => OPEN_ADMISSION };
export const unlimitedBudgets: BudgetGuard = { reserve: () => NO_RESERVATION };
