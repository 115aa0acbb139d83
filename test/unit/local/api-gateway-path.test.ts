import { gatewayPath, methodArn } from '../../../local/api-gateway-path';

describe('gatewayPath', () => {
  it.each([
    ['/dlqs/x/peek', '/dlqs/x/peek', 'dlqs/x/peek'],
    ['/dlqs/x/peek/', '/dlqs/x/peek/', 'dlqs/x/peek'],
    ['/dlqs/x//peek', '/dlqs/x//peek', 'dlqs/x//peek'],
    ['//dlqs/x/peek', '/dlqs/x/peek', 'dlqs/x/peek'],
    ['/DLQS/x/Peek', '/DLQS/x/Peek', 'DLQS/x/Peek'],
    ['/dlqs/x%2Fy/pe%65k', '/dlqs/x%2Fy/pe%65k', 'dlqs/x%2Fy/pe%65k'],
    ['/dlqs/x/../y/peek', '/dlqs/x/../y/peek', 'dlqs/x/../y/peek'],
    ['/tasks?status=RUNNING', '/tasks', 'tasks'],
    ['/', '/', ''],
    ['http://127.0.0.1:3000/dlqs/x/peek/', '/dlqs/x/peek/', 'dlqs/x/peek'],
  ])('reads %s as API Gateway does', (sent, path, proxy) => {
    expect(gatewayPath(sent)).toEqual({ path, proxy });
  });
});

describe('methodArn', () => {
  it('names the stage, the method and the path as read, trailing slash included', () => {
    expect(methodArn({ region: 'us-east-1', accountId: '123456789012', apiId: 'a1b2c3', stage: 'prod' }, 'post', '/dlqs/x/peek/')).toBe('arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/POST/dlqs/x/peek/');
  });
});
