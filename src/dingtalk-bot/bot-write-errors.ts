import { ConflictException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { unknownApp } from './bot-app';

const FOREIGN_KEY_VIOLATION = '23503';
const UNIQUE_VIOLATION = '23505';
/** One bot of an app per group (migration 1764003710000). */
const GROUP_INDEX = 'uq_ding_talk_bots_app_group';

/**
 * A bot's write, with what the database refused told as the API's answer: an app deleted between the check and the
 * write (the foreign key) is a 400 on app_id as for an app never there; a group another bot of the app has (the
 * unique index, whoever wrote first) is a 409 that does not name the store holding it.
 */
export async function writing<T>(appId: number | null, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (driverCode(error) === FOREIGN_KEY_VIOLATION) throw unknownApp(appId);
    if (isGroupTaken(error)) {
      throw new ConflictException('This group is already linked to another bot of this app');
    }
    throw error;
  }
}

/** `write`, or `taken` when the unique index refuses its group (another bot of the app has it). */
export async function groupTakenAs<T, U>(taken: U, write: () => Promise<T>): Promise<T | U> {
  try {
    return await write();
  } catch (error) {
    if (isGroupTaken(error)) return taken;
    throw error;
  }
}

function driverCode(error: unknown): string | null {
  return error instanceof QueryFailedError ? ((error.driverError as { code?: string }).code ?? null) : null;
}

function isGroupTaken(error: unknown): boolean {
  if (driverCode(error) !== UNIQUE_VIOLATION) return false;
  const driverError = (error as QueryFailedError).driverError as { constraint?: string; message?: string };
  return driverError.constraint === GROUP_INDEX || (driverError.message ?? '').includes(GROUP_INDEX);
}
