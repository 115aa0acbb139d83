import type { Check, ServiceAnswer, ServiceAuthorization, ServiceRequest } from './service-request';
import { UnreadableRequest } from './service-request';

/**
 * A stub for S3, until the local stack has one: path-style requests (`/<bucket>/<key>`) mapped to the
 * object actions the functions would use, on `arn:aws:s3:::<bucket>/<key>` (bucket actions on
 * `arn:aws:s3:::<bucket>`). S3 ARNs carry no account: the bucket is taken to be the caller's own.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 *
 * Left out: virtual-hosted requests, subresources (`?acl`, `?tagging`, ...), multipart uploads,
 * `s3:ListBucket` conditions (`s3:prefix`), Block Public Access.
 */
export const s3Authorization: ServiceAuthorization = {
  service: 's3',
  checks(request: ServiceRequest): readonly Check[] {
    const url = new URL(request.url, 'http://local');
    const [, bucket, ...keyParts] = url.pathname.split('/');
    if (!bucket) throw new UnreadableRequest('the S3 stub reads path-style requests (/<bucket>/<key>) only');
    const key = keyParts.map(decodeURIComponent).join('/');
    if (key === '') {
      if (request.method === 'GET' || request.method === 'HEAD') return [{ action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}` }];
      throw new UnreadableRequest(`the S3 stub does not read bucket requests other than listing: ${request.method}`);
    }
    const action = OBJECT_ACTIONS[request.method];
    if (!action) throw new UnreadableRequest(`the S3 stub does not read ${request.method} on an object`);
    return [{ action, resource: `arn:aws:s3:::${bucket}/${key}` }];
  },
  denied(): ServiceAnswer {
    // S3 (REST-XML): 403 with an <Error> document; it names no principal
    return { status: 403, headers: { 'content-type': 'application/xml' }, body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' };
  },
};

const OBJECT_ACTIONS: Readonly<Record<string, string>> = { GET: 's3:GetObject', HEAD: 's3:GetObject', PUT: 's3:PutObject', DELETE: 's3:DeleteObject' };
