import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SampleConfig } from '../config/sample-config.js';

/** Temporary files in UPLOAD_DIR. Names are ours (an id plus the upload's base name), never a client's path. */
@Injectable()
export class FilesService implements OnModuleInit {
  constructor(private readonly config: SampleConfig) {}

  get dir(): string {
    return this.config.uploadDir;
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  async save(originalName: string, content: Buffer): Promise<{ name: string; path: string; size: number }> {
    const name = `${randomUUID().slice(0, 8)}-${basename(originalName).replace(/[^\w.-]/g, '_')}`;
    const path = this.pathOf(name);
    await writeFile(path, content);
    return { name, path, size: content.length };
  }

  /** True if it was there. */
  async delete(name: string): Promise<boolean> {
    const existed = await this.exists(name);
    await rm(this.pathOf(name), { force: true });
    return existed;
  }

  async exists(name: string): Promise<boolean> {
    return stat(this.pathOf(name)).then(
      () => true,
      () => false,
    );
  }

  list(): Promise<string[]> {
    return readdir(this.dir);
  }

  private pathOf(name: string): string {
    return join(this.dir, basename(name));
  }
}
