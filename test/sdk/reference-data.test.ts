import { expect } from 'chai';
import * as path from 'node:path';
import { readReferenceText, referenceDataPath, referenceDataRoot, ReferenceDataMissingError, PROJECT_ROOT } from '../../sdk/reference-data';

describe('reference data helper', () => {
  it('defaults to ../shared/data beside the project and honours SCOOP_REFERENCE_DATA', () => {
    expect(referenceDataRoot({})).to.equal(path.resolve(PROJECT_ROOT, '..', 'shared', 'data'));
    expect(referenceDataRoot({ SCOOP_REFERENCE_DATA: '/srv/ref' })).to.equal('/srv/ref');
  });

  it('reads a reference file (the USNO leap-second table ends with the 2017-01-01 step, 37 s)', () => {
    const text = readReferenceText('eop/usno-tai-utc.dat');
    const last = text.trim().split('\n').pop()!;
    expect(last).to.match(/^ 2017 JAN\s+1 =JD 2457754\.5\s+TAI-UTC=\s+37\.0/);
  });

  it('says clearly when the data set or a file is missing', () => {
    expect(() => referenceDataPath('eop/usno-tai-utc.dat', { SCOOP_REFERENCE_DATA: '/nonexistent/ref' }))
      .to.throw(ReferenceDataMissingError)
      .with.property('message')
      .that.matches(/reference data directory \/nonexistent\/ref not found \(set SCOOP_REFERENCE_DATA/);
    expect(() => referenceDataPath('eop/no-such-file.txt')).to.throw(/reference data file 'eop\/no-such-file.txt' not found under/);
    expect(() => referenceDataPath('../../etc/passwd')).to.throw(/escapes/);
  });
});
