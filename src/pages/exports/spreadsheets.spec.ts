import { csv, inert } from './spreadsheets';

/** The text after the UTF-8 byte order mark every CSV starts with. */
function afterBom(file: Buffer): string {
  expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return file.subarray(3).toString('utf8');
}

describe('CSV exports', () => {
  it('starts with the UTF-8 byte order mark, so Excel reads “£” and accented names as written', () => {
    const file = csv({ name: 'partners', columns: ['name', 'fee'], rows: [['Société Générale Ltd', '£1,250.00'], ['Ørsted', '-0.01']] });
    expect(afterBom(file)).toBe('name,fee\nSociété Générale Ltd,"£1,250.00"\nØrsted,-0.01\n');
  });

  it('quotes what needs quoting and keeps amounts exactly as the ledger writes them', () => {
    const text = afterBom(
      csv({
        name: 'statement',
        columns: ['figure', 'value', 'how'],
        rows: [
          ['partnersShare', '-26919704.75', 'C(p), pain cap'],
          ['kpi carbon', '12.5', 'value 1,200; "linear"'],
          ['signOff', null, 3],
        ],
      }),
    );
    expect(text).toBe('figure,value,how\npartnersShare,-26919704.75,"C(p), pain cap"\nkpi carbon,12.5,"value 1,200; ""linear"""\nsignOff,,3\n');
  });

  it('writes a cell a spreadsheet would run as a formula as text, and a negative amount as a number', () => {
    const text = afterBom(csv({ name: 'kpis', columns: ['name', 'value'], rows: [['=HYPERLINK("http://evil.example","x")', '-0.01'], ['@SUM(A1)', '+44'], ['-1+2', '\tlead'], ['＝1+1', '-']] }));
    expect(text.split('\n')).toEqual(['name,value', `"'=HYPERLINK(""http://evil.example"",""x"")",-0.01`, "'@SUM(A1),'+44", "'-1+2,'\tlead", "'＝1+1,'-", '']);
  });

  it('leaves ordinary text alone', () => {
    for (const text of ['DefinedCostRecorded', 'pat@p.example', '2026-Q1', '1234.56', '']) expect(inert(text)).toBe(text);
  });
});
