import { ValidateBy, ValidationOptions } from 'class-validator';
import { botKinds, isBotType } from '../bot-kinds';

/**
 * `@IsIn` over the registered kinds, read when a value is checked (a test suite may add a kind after this class was
 * declared). Named `isIn` and worded as class-validator's IsIn, so a wrong bot_type reads as it always has.
 */
export function IsBotType(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIn',
      validator: {
        validate: (value) => isBotType(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'bot_type'} must be one of the following values: ${botKinds()
            .map((kind) => kind.type)
            .join(', ')}`,
      },
    },
    options,
  );
}
