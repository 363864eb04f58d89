export { ADMIN, bookOverRest, login, restCall, setUpAllDayStaff } from './rest.ts';
export { loginToken, PASSWORD, rest, setUpScenario, slot, type RestAnswer, type Scenario } from './scenario.ts';
export {
  startApiPair,
  startApiProcess,
  startTestApi,
  type ApiCode,
  type ApiProcessUnderTest,
  type Dialect,
  type RunningApi,
  type ServerUnderTest,
  type TestApi,
} from './start.ts';
