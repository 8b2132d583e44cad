import { describe, expect, it } from 'vitest';
import { checkRoostPath, checkRoostPaths } from '../../src/roost/roost-paths.ts';

describe('roost destination allowlist', () => {
  it('accepts plain relative paths', () => {
    expect(() => checkRoostPaths(['index.html', 'assets/app.js', 'assets/img/logo v2.png', 'a/.hidden'])).not.toThrow();
  });

  it.each([
    ['../etc/passwd', 'roost path "../etc/passwd" refused: ".." segments are not allowed'],
    ['a/../../x', 'roost path "a/../../x" refused: ".." segments are not allowed'],
    ['/etc/passwd', 'roost path "/etc/passwd" refused: absolute paths are not allowed'],
    ['C:/Windows/x', 'roost path "C:/Windows/x" refused: absolute paths are not allowed'],
    ['a\\..\\x', 'roost path "a\\\\..\\\\x" refused: character "\\\\" is not allowed'],
    ['CON', 'roost path "CON" refused: "CON" is a Windows device name'],
    ['docs/nul.txt', 'roost path "docs/nul.txt" refused: "nul.txt" is a Windows device name'],
    ['COM1.log', 'roost path "COM1.log" refused: "COM1.log" is a Windows device name'],
    ['file.txt:secret', 'roost path "file.txt:secret" refused: ":" (alternate data stream) is not allowed'],
    ['name.', 'roost path "name." refused: "name." ends in a dot or a space (Windows drops them)'],
    ['dir /x', 'roost path "dir /x" refused: "dir " ends in a dot or a space (Windows drops them)'],
    ['a//b', 'roost path "a//b" refused: empty path segment (leading, trailing or doubled "/")'],
    ['./a', 'roost path "./a" refused: "." segments are not allowed'],
  ])('refuses %s', (filePath, message) => {
    expect(() => checkRoostPath(filePath)).toThrow(message);
  });

  it('refuses case-only collisions and a file that is also a folder', () => {
    expect(() => checkRoostPaths(['README.md', 'readme.md'])).toThrow('roost path "readme.md" refused: collides with "README.md" on a case-insensitive file system');
    expect(() => checkRoostPaths(['a', 'A/b'])).toThrow('roost path "A/b" refused: "a" is a file, so it cannot be a folder too');
  });
});
